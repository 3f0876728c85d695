import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parley.engines import textsign
from parley.engines.textsign.cli import keygen_command, sign_command, verify_command

pytestmark = [pytest.mark.unit]

DOCUMENT = {"format": "parley-text/1", "process": "Geneva", "agreement": "HP-1",
            "title": "Пауза", "provisions": [{"article": 1, "paragraph": 1,
                                                "text": "The pause lasts four hours."}]}


def test_the_canonical_form_is_rfc_8785_so_key_order_and_spacing_do_not_matter():
    shuffled = json.loads(json.dumps(dict(reversed(list(DOCUMENT.items())))))
    assert textsign.canonical_bytes(shuffled) == textsign.canonical_bytes(DOCUMENT)
    assert textsign.canonical_bytes(DOCUMENT).startswith(b'{"agreement":"HP-1","format"')
    assert textsign.document_digest(DOCUMENT) == textsign.document_digest(shuffled)


def test_a_signature_verifies_only_over_the_same_text():
    key = textsign.load_private_key(textsign.generate_private_key_pem())
    public = textsign.public_key_b64(key)
    digest = textsign.document_digest(DOCUMENT)
    signature = textsign.sign_digest(key, digest)
    assert textsign.verify_signature(public, digest, signature)
    changed = json.loads(json.dumps(DOCUMENT))
    changed["provisions"][0]["text"] = "The pause lasts five hours."
    assert not textsign.verify_signature(public, textsign.document_digest(changed), signature)


@given(st.text(max_size=60), st.text(max_size=60))
def test_a_word_diff_spells_both_texts(old, new):
    parts = textsign.word_diff(old, new)
    assert "".join(p.text for p in parts if p.op != "added") == old
    assert "".join(p.text for p in parts if p.op != "removed") == new


def test_keygen_sign_verify_round_trip_and_one_changed_character_fails(tmp_path, capsys):
    key = tmp_path / "ua.pem"
    assert keygen_command(key=key) == 0
    public = (tmp_path / "ua.pem.pub").read_text().strip()
    assert keygen_command(key=key) == 2  # never overwrites a key
    export = {"format": "parley-signed-text/1", "document": DOCUMENT,
              "sha256": textsign.document_digest(DOCUMENT), "signatures": []}
    path = tmp_path / "text.json"
    path.write_text(json.dumps(export))
    capsys.readouterr()
    assert sign_command(key=key, export=path) == 0
    signature = capsys.readouterr().out.strip()
    export["signatures"] = [{"party": "ukraine", "signer": "ua-head",
                             "key_id": textsign.key_id(public), "public_key": public,
                             "signature": signature}]
    path.write_text(json.dumps(export, ensure_ascii=False))
    assert verify_command(export=path) == 0
    assert capsys.readouterr().out.endswith("verified\n")
    path.write_text(path.read_text().replace("four", "foor"))
    assert verify_command(export=path) == 1
    assert "the text was changed" in capsys.readouterr().out
    path.write_text("{not json")
    assert verify_command(export=path) == 2
