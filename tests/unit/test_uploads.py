"""The verifier's content checks: a file's first bytes against its declared type."""

from __future__ import annotations

import pytest

from rpm_core.ids import uuid7
from rpm_core.services.uploads import signature_matches

HEIC = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic"


@pytest.mark.parametrize(
    ("content_type", "head"),
    [
        ("application/pdf", b"%PDF-1.4\n"),
        ("image/png", b"\x89PNG\r\n\x1a\n\x00\x00"),
        ("image/jpeg", b"\xff\xd8\xff\xe1Exif"),
        ("image/heic", HEIC),
        ("text/plain", "Blutdruck 120/80 – gut\r\n\tok".encode()),
    ],
)
def test_each_allowed_type_is_recognised(content_type: str, head: bytes) -> None:
    assert signature_matches(content_type, head, complete=True)


@pytest.mark.parametrize(
    ("content_type", "head"),
    [
        ("application/pdf", b"<html>%PDF-"),
        ("image/png", b"%PDF-1.4"),
        ("image/jpeg", b"\x89PNG\r\n\x1a\n"),
        ("image/heic", b"\x00\x00\x00\x18ftypisom"),  # an MP4, not HEIF
        ("text/plain", b"MZ\x90\x00\x03\x00"),  # an executable
        ("text/plain", b"\xff\xfeb\x00"),  # not UTF-8
        ("application/zip", b"PK\x03\x04"),  # not on the allow-list at all
    ],
)
def test_other_content_is_refused(content_type: str, head: bytes) -> None:
    assert not signature_matches(content_type, head, complete=True)


def test_text_cut_inside_a_character_passes_only_when_the_object_goes_on() -> None:
    cut = "ok é".encode()[:-1]
    assert signature_matches("text/plain", cut, complete=False)
    assert not signature_matches("text/plain", cut, complete=True)


def test_message_ids_sort_by_time() -> None:
    ids = [uuid7(at_ms=ms) for ms in (1, 2, 1_700_000_000_000, 1_700_000_000_001)]
    assert ids == sorted(ids)
