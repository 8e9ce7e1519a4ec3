package dev.leakwatch.agent.holders;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Type names as reports give them, turned into the JVM's signatures the heap walk matches classes by. */
class ClassSignaturesTest {

    @ParameterizedTest
    @CsvSource({
        "com.acme.Session, Lcom/acme/Session;",
        "java.util.logging.LogManager$LogNode, Ljava/util/logging/LogManager$LogNode;",
        "byte[], [B",
        "long[][], [[J",
        "java.util.HashMap$Node[], [Ljava/util/HashMap$Node;",
        "java.lang.String[][], [[Ljava/lang/String;",
    })
    void aTypeNameBecomesItsSignature(String typeName, String signature) {
        assertEquals(signature, ClassSignatures.of(typeName));
    }

    @ParameterizedTest
    @CsvSource({"dev.leakwatch.agent., Ldev/leakwatch/agent/", "dev.leakwatch.shaded., Ldev/leakwatch/shaded/"})
    void aPackageBecomesASignaturePrefix(String packagePrefix, String signaturePrefix) {
        assertEquals(signaturePrefix, ClassSignatures.ofPackage(packagePrefix));
    }
}
