package io.pnpoperator.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pnpoperator.endpoint.protocol.PnpCodec;
import io.pnpoperator.endpoint.protocol.ProtocolException;
import io.pnpoperator.endpoint.protocol.Samples;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Fuzzing (jqwik): the project's samples of real device messages, mutated — cut short, parts dropped or doubled,
 * bytes flipped, markup and long runs of text put in — and random bytes. The codec either reads a message or says
 * why not, nothing else; the real server, over HTTP, never answers 5xx, and what it refuses leaves the device
 * it names exactly as it was. Bounded: a few hundred tries each, seconds in all.
 */
class FuzzTest {

    static final String SERIAL = "FGL2548L0AW";
    static final List<String> DEVICE_SAMPLES = Samples.names().stream().filter(n -> n.startsWith("device-")).toList();

    static Path folder;
    static PnpServer server;
    final PnpCodec codec = new PnpCodec(PnpCodec.DEFAULT_MAX_BYTES);

    @BeforeContainer
    static void start() throws IOException {
        folder = Files.createTempDirectory("pnp-fuzz");
        server = PnpServer.start(Lab.create(folder));
        assertThat(server.post("/pnp/WORK-REQUEST", Samples.bytes("device-work-request-factory-reset.xml"))
                .statusCode()).isEqualTo(200);
    }

    @AfterContainer
    static void stop() throws IOException {
        server.close();
        try (Stream<Path> files = Files.walk(folder)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Property(tries = 2000)
    void theCodecReadsAMessageOrSaysWhyNot(@ForAll("messages") byte[] body) {
        try {
            assertThat(codec.readDevice(body)).isNotNull();
        } catch (ProtocolException refused) {
            assertThat(refused.getMessage()).isNotBlank();
        }
    }

    @Property(tries = 400)
    void theServerNeverAnswers5xxAndWhatItRefusesChangesNothing(@ForAll("messages") byte[] body,
                                                                  @ForAll boolean response) {
        JsonNode before = server.device(SERIAL);
        int devices = server.devices().size();
        HttpResponse<String> answer = server.post(response ? "/pnp/WORK-RESPONSE" : "/pnp/WORK-REQUEST", body);
        assertThat(answer.statusCode()).as(answer.body()).isLessThan(500);
        assertThat(answer.body()).doesNotContain("Exception", "org.sqlite", "at io.");
        if (answer.statusCode() >= 400) {
            assertThat(server.device(SERIAL)).as("refused: nothing changed").isEqualTo(before);
            assertThat(server.devices()).as("refused: no device made").hasSize(devices);
        }
    }

    @Provide
    Arbitrary<byte[]> messages() {
        Arbitrary<byte[]> samples = Arbitraries.of(DEVICE_SAMPLES).map(Samples::bytes);
        Arbitrary<byte[]> mutated = Combinators.combine(samples, Arbitraries.integers().between(0, 5),
                Arbitraries.doubles().between(0, 1), Arbitraries.doubles().between(0, 1), inserts())
                .as(FuzzTest::mutate);
        Arbitrary<byte[]> noise = Arbitraries.bytes().array(byte[].class).ofMaxSize(2000);
        return Arbitraries.frequencyOf(Tuple.of(8, mutated), Tuple.of(1, samples), Tuple.of(1, noise));
    }

    /** What a mutation puts in: markup, entities, quotes, long runs, and characters beyond ASCII. */
    private static Arbitrary<String> inserts() {
        return Arbitraries.oneOf(
                Arbitraries.of("<", ">", "</", "/>", "&", "&amp;", "&x;", "\"", "'", "<![CDATA[", "]]>", "<!--",
                        "<!DOCTYPE pnp [<!ENTITY x \"y\">]>", "xmlns=\"urn:cisco:pnp:cli-exec\"", "correlator=\"\"",
                        "success=\"2\"", "\u0000", "\uFFFF", "SN:", ",SN:fgl2548l0aw"),
                Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(40),
                Arbitraries.strings().ofMinLength(200).ofMaxLength(5000).withChars('x', '<', '9'),
                Arbitraries.strings().all().ofMaxLength(20));
    }

    private static byte[] mutate(byte[] sample, int kind, double at, double length, String insert) {
        int from = (int) (at * sample.length);
        int to = Math.min(sample.length, from + (int) (length * (sample.length - from)));
        byte[] text = insert.getBytes(StandardCharsets.UTF_8);
        return switch (kind) {
            case 0 -> Arrays.copyOf(sample, from); // cut short
            case 1 -> concat(Arrays.copyOf(sample, from), Arrays.copyOfRange(sample, to, sample.length)); // a part dropped
            case 2 -> concat(Arrays.copyOf(sample, to), Arrays.copyOfRange(sample, from, sample.length)); // doubled
            case 3 -> { // a byte flipped
                byte[] flipped = sample.clone();
                flipped[Math.min(from, sample.length - 1)] ^= (byte) (1 + (int) (length * 254));
                yield flipped;
            }
            case 4 -> concat(concat(Arrays.copyOf(sample, from), text), Arrays.copyOfRange(sample, from, sample.length));
            default -> concat(concat(Arrays.copyOf(sample, from), text), Arrays.copyOfRange(sample, to, sample.length));
        };
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }
}
