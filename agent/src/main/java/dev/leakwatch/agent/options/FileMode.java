package dev.leakwatch.agent.options;

import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The {@code fileMode} option: the octal permissions of the files the agent writes ({@code 0600} by default). It may
 * widen reading to the group or others ({@code 0640}, {@code 0644}) for a deliberate reason, such as a log shipper
 * in the group; it never grants write or execute to anyone but the owner, who always reads and writes.
 */
final class FileMode {
    private static final PosixFilePermission[] BITS = {
        PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
        PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
        PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ,
    };
    private static final int OWNER_READ_WRITE = 0600;
    private static final int READ_BITS_OF_OTHERS = 0044;

    private FileMode() {}

    static Set<PosixFilePermission> parse(String value) {
        if (!value.matches("0?[0-7]{3}")) {
            throw new IllegalArgumentException("'" + value + "' is not an octal file mode such as 0600 or 0640");
        }
        int mode = Integer.parseInt(value, 8);
        if ((mode & OWNER_READ_WRITE) != OWNER_READ_WRITE || (mode & ~(OWNER_READ_WRITE | READ_BITS_OF_OTHERS)) != 0) {
            throw new IllegalArgumentException("'" + value + "' is not allowed: the owner must read and write, and the"
                    + " group and others may only read (0600, 0640 or 0644)");
        }
        Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
        for (int bit = 0; bit < BITS.length; bit++) {
            if ((mode & (1 << bit)) != 0) {
                permissions.add(BITS[bit]);
            }
        }
        return permissions;
    }

    static String format(Set<PosixFilePermission> permissions) {
        int mode = 0;
        for (int bit = 0; bit < BITS.length; bit++) {
            if (permissions.contains(BITS[bit])) {
                mode |= 1 << bit;
            }
        }
        return String.format(Locale.ROOT, "0%o", mode);
    }
}
