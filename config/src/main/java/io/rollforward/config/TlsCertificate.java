package io.rollforward.config;

import java.nio.file.Path;
import java.util.List;

/**
 * One certificate the HTTPS listener can present, checked when the config is read: both files
 * readable, the chain parses (leaf first), the key is PKCS#8 PEM, not world-readable, and belongs
 * to the leaf.
 *
 * @param certificate PEM chain, leaf first
 * @param privateKey  PEM PKCS#8 private key of the leaf
 * @param names       the leaf's DNS names (subjectAltName, else the subject CN), as SNI matches them;
 *                    {@code *.example.org} matches one label
 */
public record TlsCertificate(Path certificate, Path privateKey, List<String> names) {
    public TlsCertificate {
        names = List.copyOf(names);
    }
}
