package dev.leakwatch.samples;

import java.lang.reflect.InvocationTargetException;
import java.util.List;
import java.util.Objects;

/**
 * What a sample is and what the detector should say about it.
 *
 * @param name the command-line name, e.g. {@code static-cache}
 * @param description one line for {@code --list}
 * @param leaks whether the program's retained heap grows without bound
 * @param leakingClasses binary names ({@link Class#getName()}) of the classes whose live instances keep growing, the
 *     one a finding should name first: the sample's own, or the JDK's when the JDK keeps the leaked data; empty for a
 *     control
 * @param leakingMethod {@code <binary class name>.<method>} of the method that allocates the leaked instances and makes
 *     them reachable; {@code null} for a control
 * @param program the program class; it has a public no-argument constructor
 * @param findings kinds of JVM-level finding the report must have besides the suspect, each naming
 *     {@link #leakingClass()} in its explanation (a class-loading finding names the loader type); empty for a control
 */
public record Sample(
        String name,
        String description,
        boolean leaks,
        List<String> leakingClasses,
        String leakingMethod,
        Class<? extends SampleProgram> program,
        List<String> findings) {

    public Sample {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(program, "program");
        leakingClasses = List.copyOf(leakingClasses);
        findings = List.copyOf(findings);
        boolean namesBoth = !leakingClasses.isEmpty() && leakingMethod != null;
        boolean namesNeither = leakingClasses.isEmpty() && leakingMethod == null && findings.isEmpty();
        if (leaks ? !namesBoth : !namesNeither) {
            throw new IllegalArgumentException(
                    "sample " + name + ": a leak names its classes and method, a control names neither and no finding");
        }
    }

    static Sample leaking(
            String name,
            String description,
            Class<? extends SampleProgram> program,
            String leakingMethod,
            String... leakingClasses) {
        return new Sample(name, description, true, List.of(leakingClasses), leakingMethod, program, List.of());
    }

    static Sample control(String name, String description, Class<? extends SampleProgram> program) {
        return new Sample(name, description, false, List.of(), null, program, List.of());
    }

    /** The same sample, whose report must also have a JVM-level finding of this kind. */
    Sample withFinding(String kind) {
        List<String> more = new java.util.ArrayList<>(findings);
        more.add(kind);
        return new Sample(name, description, leaks, leakingClasses, leakingMethod, program, more);
    }

    /** The class a finding should name first, or {@code null} for a control. */
    public String leakingClass() {
        return leakingClasses.isEmpty() ? null : leakingClasses.get(0);
    }

    /** Constructs the program; this runs its start-up work. */
    public SampleProgram newProgram() {
        try {
            return program.getConstructor().newInstance();
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("sample " + name + " failed to start", e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(
                    "sample " + name + ": " + program.getName() + " needs a public no-arg constructor", e);
        }
    }
}
