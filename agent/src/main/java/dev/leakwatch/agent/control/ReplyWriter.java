package dev.leakwatch.agent.control;

import dev.leakwatch.format.PrivateDirectory;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Writes a {@link Reply} so that only the JVM's user can read it. The client makes the reply's directory owner-only
 * for the one call; {@link PrivateDirectory} refuses a path that is not such a directory (another user's, one others
 * may write to, where anyone could have planted a link, or a symbolic link in its place), since the answer may carry
 * the recording's paths and findings. Anything already at the file's name is refused, never followed or overwritten.
 */
final class ReplyWriter {
    private ReplyWriter() {}

    /** @throws IOException with one line saying why the reply was refused or could not be written */
    static void write(Path reply, Reply content) throws IOException {
        Path directory = reply.getParent();
        if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
            // Never created here: the client made it for this one call, so its absence (or a link) is a refusal.
            throw new IOException("reply directory " + directory + " is not a directory (a link?): refused");
        }
        try (PrivateDirectory checked = PrivateDirectory.open(directory, PrivateDirectory.OWNER_ONLY)) {
            checked.writeNew(reply.getFileName().toString(), content.encode());
        } catch (FileAlreadyExistsException e) {
            throw new IOException("something is already at reply path " + reply + ": refused, not overwritten");
        }
    }
}
