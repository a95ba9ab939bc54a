package io.pnpoperator.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

/** The JDK's keytool, for the certificates and keys a test makes: no other tool needed. */
final class Keytool {

    private Keytool() {
    }

    static void run(String... arguments) throws Exception {
        String[] command = new String[arguments.length + 1];
        command[0] = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        System.arraycopy(arguments, 0, command, 1, arguments.length);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor()).as(String.join(" ", arguments) + ": " + output).isZero();
    }
}
