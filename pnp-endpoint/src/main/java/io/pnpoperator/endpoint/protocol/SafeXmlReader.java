package io.pnpoperator.endpoint.protocol;

import com.fasterxml.jackson.dataformat.xml.XmlFactory;
import io.pnpoperator.endpoint.protocol.ProtocolException.Problem;
import java.io.ByteArrayInputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Reads a device's XML into {@link XmlElement}s, refusing what a PnP agent never sends: DTDs, entities,
 * oversized bodies and absurd nesting. Jackson's data binding is not used for reading because it drops
 * the per-element namespaces, and in PnP the namespace of {@code response} is what names the service.
 */
final class SafeXmlReader {

    static final int MAX_DEPTH = 32;

    private final XMLInputFactory factory;
    private final int maxBytes;

    SafeXmlReader(int maxBytes) {
        this.maxBytes = maxBytes;
        this.factory = new XmlFactory().getXMLInputFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        factory.setProperty(XMLInputFactory.IS_COALESCING, true);
    }

    XmlElement read(byte[] body) throws ProtocolException {
        if (body.length > maxBytes) {
            throw new ProtocolException(Problem.BODY_TOO_LARGE,
                    "body of " + body.length + " bytes is over the limit of " + maxBytes + " bytes");
        }
        if (body.length == 0) {
            throw new ProtocolException(Problem.MALFORMED_XML, "empty body: expected a <pnp> document");
        }
        XMLStreamReader reader = null;
        try {
            reader = factory.createXMLStreamReader(new ByteArrayInputStream(body));
            return readDocument(reader);
        } catch (XMLStreamException e) {
            throw new ProtocolException(Problem.MALFORMED_XML, "malformed XML: " + firstLine(e.getMessage()));
        } catch (RuntimeException e) {
            // The parser reports some errors late, unchecked, wrapping the stream error (Woodstox's lazy text).
            Throwable why = e.getCause() instanceof XMLStreamException ? e.getCause() : e;
            throw new ProtocolException(Problem.MALFORMED_XML, "malformed XML: " + firstLine(why.getMessage()));
        } finally {
            closeQuietly(reader);
        }
    }

    private static XmlElement readDocument(XMLStreamReader reader) throws XMLStreamException, ProtocolException {
        Deque<Builder> open = new ArrayDeque<>();
        XmlElement root = null;
        while (reader.hasNext()) {
            switch (reader.next()) {
                case XMLStreamConstants.DTD -> throw new ProtocolException(Problem.DTD_REFUSED,
                        "DOCTYPE declarations are not accepted");
                case XMLStreamConstants.ENTITY_REFERENCE -> throw new ProtocolException(Problem.DTD_REFUSED,
                        "entity references are not accepted");
                case XMLStreamConstants.START_ELEMENT -> {
                    if (open.size() >= MAX_DEPTH) {
                        throw new ProtocolException(Problem.MALFORMED_XML,
                                "elements nested deeper than " + MAX_DEPTH + " levels");
                    }
                    open.push(Builder.start(reader));
                }
                case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
                    if (!open.isEmpty()) {
                        open.peek().text.append(reader.getText());
                    }
                }
                case XMLStreamConstants.END_ELEMENT -> {
                    XmlElement done = open.pop().build();
                    if (open.isEmpty()) {
                        root = done;
                    } else {
                        open.peek().children.add(done);
                    }
                }
                default -> { }
            }
        }
        if (root == null) {
            throw new ProtocolException(Problem.MALFORMED_XML, "no root element");
        }
        return root;
    }

    private static String firstLine(String message) {
        String text = message == null ? "unreadable document" : message;
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }

    private static void closeQuietly(XMLStreamReader reader) {
        if (reader != null) {
            try {
                reader.close();
            } catch (XMLStreamException ignored) {
                // nothing left to release: the input is an in-memory array
            }
        }
    }

    private record Builder(String namespace, String name, Map<String, String> attributes,
                           List<XmlElement> children, StringBuilder text) {

        static Builder start(XMLStreamReader reader) {
            Map<String, String> attributes = new LinkedHashMap<>();
            for (int i = 0; i < reader.getAttributeCount(); i++) {
                attributes.put(reader.getAttributeLocalName(i), reader.getAttributeValue(i));
            }
            String namespace = reader.getNamespaceURI();
            return new Builder(namespace == null ? "" : namespace, reader.getLocalName(), attributes,
                    new ArrayList<>(), new StringBuilder());
        }

        XmlElement build() {
            return new XmlElement(namespace, name, Map.copyOf(attributes), List.copyOf(children), text.toString());
        }
    }
}
