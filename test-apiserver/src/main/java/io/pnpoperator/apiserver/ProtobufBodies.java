package io.pnpoperator.apiserver;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

/**
 * The few protobuf bodies real clients send this server, read into JSON: Secrets and ConfigMaps, as Helm stores
 * its releases and {@code kubectl create configmap} sends them (Kubernetes' {@code k8s\0} envelope around the
 * object's own encoding). Only the fields those objects carry are read: name, namespace, labels, annotations,
 * data, type. Anything else is refused by the caller.
 */
final class ProtobufBodies {

    private static final byte[] MAGIC = {0x6b, 0x38, 0x73, 0x00};
    private static final ObjectMapper JSON = new ObjectMapper();

    private ProtobufBodies() {
    }

    /** The object as JSON, if it is a Secret or a ConfigMap in the envelope. */
    static Optional<ObjectNode> read(byte[] body) {
        if (body.length < 4 || !Arrays.equals(Arrays.copyOf(body, 4), MAGIC)) {
            return Optional.empty();
        }
        Reader envelope = new Reader(Arrays.copyOfRange(body, 4, body.length));
        String apiVersion = "";
        String kind = "";
        byte[] raw = new byte[0];
        while (envelope.more()) {
            int field = envelope.tag();
            if (field == 1) {
                Reader typeMeta = envelope.message();
                while (typeMeta.more()) {
                    int f = typeMeta.tag();
                    if (f == 1) {
                        apiVersion = typeMeta.string();
                    } else if (f == 2) {
                        kind = typeMeta.string();
                    } else {
                        typeMeta.skip();
                    }
                }
            } else if (field == 2) {
                raw = envelope.bytes();
            } else {
                envelope.skip();
            }
        }
        if (!apiVersion.equals("v1") || !(kind.equals("Secret") || kind.equals("ConfigMap"))) {
            return Optional.empty();
        }
        ObjectNode object = JSON.createObjectNode().put("apiVersion", apiVersion).put("kind", kind);
        Reader fields = new Reader(raw);
        while (fields.more()) {
            int field = fields.tag();
            if (field == 1) {
                object.set("metadata", metadata(fields.message()));
            } else if (field == 2) {
                String[] entry = entry(fields.message(), kind.equals("Secret"));
                object.with("data").put(entry[0], entry[1]);
            } else if (field == 3 && kind.equals("Secret")) {
                object.put("type", fields.string());
            } else if (field == 3) {
                String[] entry = entry(fields.message(), true);
                object.with("binaryData").put(entry[0], entry[1]);
            } else {
                fields.skip();
            }
        }
        return Optional.of(object);
    }

    private static ObjectNode metadata(Reader meta) {
        ObjectNode metadata = JSON.createObjectNode();
        while (meta.more()) {
            int field = meta.tag();
            switch (field) {
                case 1 -> metadata.put("name", meta.string());
                case 2 -> metadata.put("generateName", meta.string());
                case 3 -> metadata.put("namespace", meta.string());
                case 6 -> metadata.put("resourceVersion", meta.string());
                case 11 -> {
                    String[] label = entry(meta.message(), false);
                    metadata.with("labels").put(label[0], label[1]);
                }
                case 12 -> {
                    String[] annotation = entry(meta.message(), false);
                    metadata.with("annotations").put(annotation[0], annotation[1]);
                }
                default -> meta.skip();
            }
        }
        return metadata;
    }

    /** A map entry: key and value, the value base64 when it is bytes (as JSON carries Secret data). */
    private static String[] entry(Reader entry, boolean binary) {
        String key = "";
        String value = "";
        while (entry.more()) {
            int field = entry.tag();
            if (field == 1) {
                key = entry.string();
            } else if (field == 2) {
                byte[] bytes = entry.bytes();
                value = binary ? Base64.getEncoder().encodeToString(bytes) : new String(bytes, StandardCharsets.UTF_8);
            } else {
                entry.skip();
            }
        }
        return new String[] {key, value};
    }

    /** Protobuf's wire format, as far as these messages need it. */
    private static final class Reader {
        private final byte[] data;
        private int at;
        private int wireType;

        Reader(byte[] data) {
            this.data = data;
        }

        boolean more() {
            return at < data.length;
        }

        int tag() {
            long key = varint();
            wireType = (int) (key & 7);
            return (int) (key >>> 3);
        }

        long varint() {
            long value = 0;
            for (int shift = 0; ; shift += 7) {
                byte b = data[at++];
                value |= (long) (b & 0x7f) << shift;
                if ((b & 0x80) == 0) {
                    return value;
                }
            }
        }

        byte[] bytes() {
            int length = (int) varint();
            byte[] bytes = Arrays.copyOfRange(data, at, at + length);
            at += length;
            return bytes;
        }

        String string() {
            return new String(bytes(), StandardCharsets.UTF_8);
        }

        Reader message() {
            return new Reader(bytes());
        }

        void skip() {
            switch (wireType) {
                case 0 -> varint();
                case 1 -> at += 8;
                case 2 -> bytes();
                case 5 -> at += 4;
                default -> throw new IllegalArgumentException("protobuf wire type " + wireType);
            }
        }
    }
}
