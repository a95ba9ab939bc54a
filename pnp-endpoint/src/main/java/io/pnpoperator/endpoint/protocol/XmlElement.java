package io.pnpoperator.endpoint.protocol;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/** One parsed XML element: its namespace and local name, attributes, child elements and own text. */
record XmlElement(String namespace, String name, Map<String, String> attributes, List<XmlElement> children,
                  String text) {

    Optional<String> attribute(String attributeName) {
        return Optional.ofNullable(attributes.get(attributeName));
    }

    /** The first child with this local name, whatever its namespace. */
    Optional<XmlElement> child(String childName) {
        return children(childName).findFirst();
    }

    Stream<XmlElement> children(String childName) {
        return children.stream().filter(c -> c.name.equals(childName));
    }

    /** The trimmed text of the element at this path of child names, if it exists. */
    Optional<String> textAt(String... path) {
        XmlElement at = this;
        for (String step : path) {
            Optional<XmlElement> next = at.child(step);
            if (next.isEmpty()) {
                return Optional.empty();
            }
            at = next.get();
        }
        return Optional.of(at.text.trim());
    }
}
