package dev.leakwatch.agent.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The TCP sockets one process listens on, read from Linux's /proc: the rows of {@code /proc/PID/net/tcp} and
 * {@code tcp6} in state LISTEN ({@code 0A}) whose socket inode is one of the process's open descriptors. The tables
 * list the whole network namespace; the descriptors tell which sockets are that process's.
 */
final class ListeningSockets {
    private static final String LISTEN = "0A";

    private ListeningSockets() {}

    /** Whether this machine has the /proc files the listing needs. */
    static boolean available() {
        return Files.isReadable(Path.of("/proc/self/net/tcp")) && Files.isDirectory(Path.of("/proc/self/fd"));
    }

    /** One entry per listening socket: the table, the local address and port, and the socket's inode. */
    static Set<String> of(long pid) {
        Set<String> inodes = socketInodes(pid);
        Set<String> listening = new TreeSet<>();
        for (String table : List.of("tcp", "tcp6")) {
            Path file = Path.of("/proc", String.valueOf(pid), "net", table);
            if (!Files.exists(file)) {
                continue;
            }
            List<String> rows = readLines(file);
            // Below a header: sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
            for (String line : rows.subList(Math.min(1, rows.size()), rows.size())) {
                String[] fields = line.trim().split("\\s+");
                if (fields.length > 9 && fields[3].equals(LISTEN) && inodes.contains(fields[9])) {
                    String local = fields[1];
                    int port = Integer.parseInt(local.substring(local.indexOf(':') + 1), 16);
                    listening.add(table + " " + local + " (port " + port + ", inode " + fields[9] + ")");
                }
            }
        }
        return listening;
    }

    private static Set<String> socketInodes(long pid) {
        Set<String> inodes = new HashSet<>();
        try (DirectoryStream<Path> descriptors =
                Files.newDirectoryStream(Path.of("/proc", String.valueOf(pid), "fd"))) {
            for (Path descriptor : descriptors) {
                try {
                    String target = Files.readSymbolicLink(descriptor).toString();
                    if (target.startsWith("socket:[") && target.endsWith("]")) {
                        inodes.add(target.substring("socket:[".length(), target.length() - 1));
                    }
                } catch (NoSuchFileException closed) {
                    // closed between listing and reading: not a socket that stays open
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the descriptors of pid " + pid, e);
        }
        return inodes;
    }

    private static List<String> readLines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
