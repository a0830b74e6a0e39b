"""PDF/UA-1 for the pack: links described, and the claim in its XMP metadata (`pdfuaid:part`
1, with the extension schema that declares the property), made exactly when no part has
anything that stops it (`conformance`); otherwise no claim."""

from __future__ import annotations

import pikepdf
from pikepdf import Dictionary, Name, Pdf

_SCHEMA = """<rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#"><pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource"><pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema><pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI><pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix><pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource"><pdfaProperty:name>part</pdfaProperty:name><pdfaProperty:valueType>Integer</pdfaProperty:valueType><pdfaProperty:category>internal</pdfaProperty:category><pdfaProperty:description>Indicates, which part of ISO 14289 standard is followed</pdfaProperty:description></rdf:li></rdf:Seq></pdfaSchema:property></rdf:li></rdf:Bag></pdfaExtension:schemas></rdf:Description>"""
"""The XMP extension schema that declares `pdfuaid:part` (PDF/UA-1, 5; as PDF/A defines
extension schemas)."""


def describe_links(pack: Pdf) -> None:
    """Every link says where it leads (PDF/UA 7.18.5: an annotation's `/Contents`)."""
    numbers = {page.obj.objgen: number for number, page in enumerate(pack.pages, 1)}
    for page in pack.pages:
        for link in page.obj.get("/Annots", []):
            if not isinstance(link, Dictionary) or link.get("/Subtype") != Name.Link:
                continue
            if str(link.get("/Contents", "")).strip():
                continue
            action = link.get("/A")
            uri = action.get("/URI") if isinstance(action, Dictionary) else None
            target = action.get("/D") if isinstance(action, Dictionary) else link.get("/Dest")
            if uri is not None:
                text = f"Link to {uri}"
            elif (
                isinstance(target, pikepdf.Array)
                and len(target)
                and isinstance(target[0], Dictionary)
            ):
                text = f"Go to page {numbers.get(target[0].objgen, '')}".strip()
            else:
                text = "Link within the document"
            link.Contents = pikepdf.String(text)


def claim(pack: Pdf, conforms: bool) -> None:
    """Say in the XMP metadata that the pack is PDF/UA-1, with the schema that declares it, if
    it `conforms`; otherwise make sure it says nothing of the kind (LibreOffice's PDF/UA
    export claims it of its own)."""
    with pack.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
        if conforms:
            meta["pdfuaid:part"] = "1"
        elif "pdfuaid:part" in meta:
            del meta["pdfuaid:part"]
    stream = pack.Root.Metadata
    xml = stream.read_bytes().decode("utf-8")
    if conforms and "pdfaExtension:schemas" not in xml:
        xml = xml.replace("</rdf:RDF>", _SCHEMA + "</rdf:RDF>", 1)
        stream.write(xml.encode("utf-8"))
