package io.pnpoperator.endpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * A lab bench in a temporary folder, laid out as users of the old server know it: configs/, images/,
 * files/, and a profile naming a small image, a guestshell tarball and the script.
 */
public final class Lab {

    public static final String IMAGE = "c1100-universalk9.17.14.01a.SPA.bin";
    public static final String TARGET_VERSION = "17.14.01a";
    public static final String PACKAGE = "guestshell.17.09.01a.tar";
    public static final String SCRIPT = "pxs.py";
    public static final int IMAGE_BYTES = 256 * 1024;

    public static final String PROFILE = """
            apiVersion: pnp.pnpoperator.io/v1alpha1
            kind: PnpProfile
            metadata:
              name: lab
            spec:
              configRegister: "0x2102"
              image:
                file: %s
                version: %s
                md5: ""
              config:
                template: default.cfg
                perDevice: true
              files:
                - name: %s
                  destination: "bootflash:"
                - name: %s
                  destination: "bootflash:guest-share/"
              guestshell:
                enabled: true
                package: %s
                script: %s
                eemApplet: InstallGuestShell
                minFreeBytes: 1026107392
            """.formatted(IMAGE, TARGET_VERSION, PACKAGE, SCRIPT, PACKAGE, SCRIPT);

    public static final String DEFAULT_CFG = """
            hostname lab-router
            event manager applet InstallGuestShell
             event none maxrun 600
             action 1.0 cli command "guestshell enable"
            end
            """;

    private final Path root;

    private Lab(Path root) {
        this.root = root;
    }

    public static Lab create(Path root) {
        try {
            Files.createDirectories(root.resolve("configs"));
            Files.createDirectories(root.resolve("images"));
            Files.createDirectories(root.resolve("files"));
            Files.writeString(root.resolve("configs/default.cfg"), DEFAULT_CFG);
            byte[] image = new byte[IMAGE_BYTES];
            new Random(42).nextBytes(image);
            Files.write(root.resolve("images").resolve(IMAGE), image);
            Files.write(root.resolve("files").resolve(PACKAGE), "guestshell package".getBytes(StandardCharsets.UTF_8));
            Files.writeString(root.resolve("files").resolve(SCRIPT), "print('hello from the guestshell')\n");
            Files.writeString(root.resolve("pnp-profile.yaml"), PROFILE);
            return new Lab(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path path(String relative) {
        return root.resolve(relative);
    }

    public void write(String relative, String content) {
        try {
            Files.writeString(root.resolve(relative), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
