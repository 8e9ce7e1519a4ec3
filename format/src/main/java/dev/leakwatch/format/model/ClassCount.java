package dev.leakwatch.format.model;

/** One histogram row: a class (binary name, arrays as {@code byte[]}) with its instance count and shallow bytes. */
public record ClassCount(String className, long instances, long bytes) {}
