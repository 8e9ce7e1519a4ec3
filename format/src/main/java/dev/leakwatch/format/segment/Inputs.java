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
final class Inputs {
    // A message goes into a one-line warning or error; a parser's message can be long or hold a newline.
    private static final int MAX_DETAIL_CHARS = 200;

    private Inputs() {
    }

    /** The entries of a directory, sorted by file name so that everything derived from them is reproducible. */
    static List<Path> list(Path directory) throws InputException {
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.sorted().collect(Collectors.toList());
        } catch (IOException e) {
            throw new InputException("cannot list " + directory + ": " + describe(e), e);
        }
    }

    static boolean isHidden(Path file) {
        return file.getFileName().toString().startsWith(".");
    }

    /** What went wrong with a file, without the path the caller names itself. */
    static String describe(IOException e) {
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

    static String oneLine(String text) {
        String line = text.strip().replaceAll("\\s+", " ");
        return line.length() <= MAX_DETAIL_CHARS ? line : line.substring(0, MAX_DETAIL_CHARS) + "...";
    }
}
