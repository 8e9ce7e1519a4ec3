package dev.leakwatch.analyzer.report.html;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The page's Content-Security-Policy, in a meta tag of the page itself (a file opened from disk has no server to send
 * a header). Nothing may load: no network, no image, no font, no frame ({@code default-src 'none'}). The page's one
 * script and one style sheet run because their SHA-256 hashes are named, computed here from the very text written,
 * so that no other script (one smuggled in through a class name, were escaping ever to miss it) would run, and no
 * {@code 'unsafe-inline'} is needed.
 */
final class ContentSecurityPolicy {
    private ContentSecurityPolicy() {}

    static String forPage(String script, String style) {
        return "default-src 'none'; script-src '" + sha256(script) + "'; style-src '" + sha256(style)
                + "'; base-uri 'none'; form-action 'none'";
    }

    /** The CSP source expression of a text's hash: {@code sha256-} and the Base64 of its UTF-8 bytes' digest. */
    static String sha256(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return "sha256-" + Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            // Every Java platform must provide SHA-256 (MessageDigest's Javadoc).
            throw new IllegalStateException("no SHA-256 in this JVM", e);
        }
    }
}
