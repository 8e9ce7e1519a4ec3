package dev.leakwatch.format.segment;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** File-system chores the readers share, with the one-line wording their {@link InputException}s need. */
public final class Inputs {
    /** What a recording looks like, for the messages that say what was found instead. */
    public static final String EXPECTED =
            "expected snapshots-*.jsonl.gz written by the agent, or jcmd GC.class_histogram text files";

    // A message goes into a one-line warning or error; a parser's message can be long or hold a newline.
    private static final int MAX_DETAIL_CHARS = 200;

    private Inputs() {}

    /** The entries of a directory, sorted by file name so that everything derived from them is reproducible. */
    public static List<Path> list(Path directory) throws InputException {
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.sorted().collect(Collectors.toList());
        } catch (IOException e) {
            throw new InputException("cannot list " + directory + ": " + describe(e), e);
        }
    }

    public static boolean isHidden(Path file) {
        return file.getFileName().toString().startsWith(".");
    }

    /** What went wrong with a file, without the path the caller names itself. */
    public static String describe(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NotDirectoryException) {
            return "not a directory";
        }
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : oneLine(message);
    }

    public static String oneLine(String text) {
        String line = text.strip().replaceAll("\\s+", " ");
        return line.length() <= MAX_DETAIL_CHARS ? line : line.substring(0, MAX_DETAIL_CHARS) + "...";
    }
}
