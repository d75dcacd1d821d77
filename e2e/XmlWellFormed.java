// Strict XML well-formedness check with the JDK's own parser (no dependency).
// Usage: java XmlWellFormed.java FILE[=ROOT_NAMESPACE#ROOT_NAME]...
// Prints one line per file; exits 1 if any file is not well-formed or its root
// element is not the one expected.
import java.io.File;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXParseException;

public class XmlWellFormed {
    public static void main(String[] args) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setValidating(false);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        f.setXIncludeAware(false);
        f.setExpandEntityReferences(false);
        int bad = 0;
        for (String arg : args) {
            String[] parts = arg.split("=", 2);
            String path = parts[0];
            DocumentBuilder b = f.newDocumentBuilder();
            b.setErrorHandler(new ErrorHandler() {
                public void warning(SAXParseException e) { }
                public void error(SAXParseException e) throws SAXParseException { throw e; }
                public void fatalError(SAXParseException e) throws SAXParseException { throw e; }
            });
            try {
                Document d = b.parse(new File(path));
                Element root = d.getDocumentElement();
                String got = root.getNamespaceURI() + "#" + root.getLocalName();
                if (parts.length == 2 && !parts[1].equals(got)) {
                    System.out.println(path + ": error: root element is " + got + ", expected " + parts[1]);
                    bad++;
                } else {
                    int children = root.getChildNodes().getLength();
                    System.out.println(path + ": well-formed (" + got + ", " + children + " child nodes)");
                }
            } catch (SAXParseException e) {
                System.out.println(path + ":" + e.getLineNumber() + ":" + e.getColumnNumber() + ": error: " + e.getMessage());
                bad++;
            } catch (Exception e) {
                System.out.println(path + ": error: " + e);
                bad++;
            }
        }
        System.exit(bad == 0 ? 0 : 1);
    }
}
