"""A negotiating text as a file: the signed JSON export (`selectors.text_export`), Markdown,
XML and PDF (WeasyPrint, in the reader's language, with the signature block and the hash)."""

import json
from xml.etree import ElementTree

from django.template.loader import render_to_string

from parley.talks.models import DraftText
from parley.talks.selectors.texts import text_document, text_export, text_signatures


def export_json(text: DraftText) -> bytes:
    return json.dumps(text_export(text), ensure_ascii=False, indent=2).encode()


def _document(text: DraftText) -> dict:
    return text.canonical or text_document(text)


def export_markdown(text: DraftText) -> str:
    document = _document(text)
    lines = [f"# {document['title']}", "",
             f"{document['process']} · {document['agreement']}", ""]
    article = None
    for provision in document["provisions"]:
        if provision["article"] != article:
            article = provision["article"]
            lines += [f"## Article {article}", ""]
        lines += [f"{provision['article']}.{provision['paragraph']}. {provision['text']}", ""]
    export = text_export(text)
    lines += ["---", "", f"SHA-256: `{export['sha256']}`", ""]
    for mark in export["signatures"]:
        lines.append(f"- {mark['party']} ({mark['signer']}, key {mark['key_id']}, "
                     f"{mark['signed_at']}): `{mark['signature']}`")
    return "\n".join(lines).rstrip() + "\n"


def export_xml(text: DraftText) -> bytes:
    document = _document(text)
    export = text_export(text)
    root = ElementTree.Element("text", {"format": document["format"],
                                        "agreement": document["agreement"],
                                        "sha256": export["sha256"]})
    ElementTree.SubElement(root, "process").text = document["process"]
    ElementTree.SubElement(root, "title").text = document["title"]
    provisions = ElementTree.SubElement(root, "provisions")
    for provision in document["provisions"]:
        ElementTree.SubElement(provisions, "provision", {
            "article": str(provision["article"]), "paragraph": str(provision["paragraph"]),
        }).text = provision["text"]
    signatures = ElementTree.SubElement(root, "signatures")
    for mark in export["signatures"]:
        ElementTree.SubElement(signatures, "signature", {
            "party": mark["party"], "signer": mark["signer"], "key-id": mark["key_id"],
            "public-key": mark["public_key"], "signed-at": mark["signed_at"],
        }).text = mark["signature"]
    ElementTree.indent(root)
    return ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)


def export_pdf(text: DraftText, *, request=None) -> bytes:
    from weasyprint import HTML

    html = render_to_string("talks/text_pdf.html", {
        "text": text, "document": _document(text), "export": text_export(text),
        "signatures": [m for m in text_signatures(text)],
    }, request=request)
    return HTML(string=html).write_pdf()
