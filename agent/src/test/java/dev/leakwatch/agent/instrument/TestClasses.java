package dev.leakwatch.agent.instrument;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/** Fixture sources compiled at test time, and class loaders that define them with or without instrumentation. */
final class TestClasses {
    private TestClasses() {}

    /** The fixture sources under {@code src/test/resources/instrument/<dir>}. */
    static List<Path> sources(String dir) {
        URL url = TestClasses.class.getResource("/instrument/" + dir);
        if (url == null) {
            throw new IllegalStateException("no test resources instrument/" + dir);
        }
        try (Stream<Path> files = Files.walk(Path.of(url.toURI()))) {
            return files.filter(p -> p.toString().endsWith(".java")).sorted().collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Compiles the sources with full debug information for {@code --release release}: binary name to bytes. */
    static Map<String, byte[]> compile(List<Path> sources, int release) {
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        Map<String, byte[]> classes = new TreeMap<>();
        StringWriter diagnostics = new StringWriter();
        try (StandardJavaFileManager standard = compiler.getStandardFileManager(null, null, StandardCharsets.UTF_8)) {
            ForwardingJavaFileManager<StandardJavaFileManager> inMemory = new ForwardingJavaFileManager<>(standard) {
                @Override
                public JavaFileObject getJavaFileForOutput(
                        Location location, String className, JavaFileObject.Kind kind, FileObject sibling) {
                    return new SimpleJavaFileObject(
                            URI.create("mem:///" + className.replace('.', '/') + ".class"), kind) {
                        @Override
                        public OutputStream openOutputStream() {
                            return new ByteArrayOutputStream() {
                                @Override
                                public void close() {
                                    classes.put(className, toByteArray());
                                }
                            };
                        }
                    };
                }
            };
            List<String> options =
                    List.of("--release", String.valueOf(release), "-g", "-nowarn", "-Xlint:none", "-proc:none");
            boolean ok = compiler.getTask(
                            diagnostics, inMemory, null, options, null, standard.getJavaFileObjectsFromPaths(sources))
                    .call();
            if (!ok) {
                throw new IllegalStateException("fixtures do not compile:\n" + diagnostics);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return classes;
    }

    /**
     * Defines the given classes itself (child first), each passed through {@code transform}; everything else,
     * the bootstrap hook included, comes from the parent. Class loaders other than the bootstrap one verify the
     * bytecode they define, which is what these tests rely on.
     */
    static final class DefiningLoader extends ClassLoader {
        private final Map<String, byte[]> classes;
        private final UnaryOperator<byte[]> transform;

        DefiningLoader(Map<String, byte[]> classes, UnaryOperator<byte[]> transform, ClassLoader parent) {
            super("test-" + Integer.toHexString(System.identityHashCode(classes)), parent);
            this.classes = classes;
            this.transform = transform;
        }

        DefiningLoader(Map<String, byte[]> classes, UnaryOperator<byte[]> transform) {
            this(classes, transform, TestClasses.class.getClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            synchronized (getClassLoadingLock(name)) {
                Class<?> loaded = findLoadedClass(name);
                if (loaded == null) {
                    byte[] bytes = classes.get(name);
                    if (bytes == null) {
                        return super.loadClass(name, resolve);
                    }
                    byte[] defined = transform.apply(bytes);
                    loaded = defineClass(name, defined, 0, defined.length);
                }
                if (resolve) {
                    resolveClass(loaded);
                }
                return loaded;
            }
        }

        /** Loads and links (which verifies) the class, without initializing it. */
        Class<?> link(String name) throws ClassNotFoundException {
            Class<?> type = Class.forName(name, false, this);
            type.getDeclaredMethods(); // JVM_GetClassDeclaredMethods links the class first
            return type;
        }

        List<String> names() {
            return new ArrayList<>(classes.keySet());
        }
    }
}
