"""The PDF is an accessible archive: tagged PDF/A-3a, described, navigable, carrying its own evidence."""

import hashlib
import json
import shutil
import subprocess

import pikepdf
import pytest
from fixtures import SEED_DIR

pytestmark = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler's pdftotext (make system-deps)")


@pytest.fixture(scope="module")
def pdf(built_report):
    with pikepdf.open(built_report.outputs["pdf"]) as document:
        yield document


@pytest.fixture(scope="module")
def manifest(built_report) -> dict:
    return json.loads(built_report.outputs["manifest"].read_text(encoding="utf-8"))


def structure(node, found=None) -> list[pikepdf.Dictionary]:
    """Every structure element below a node of the structure tree, depth first (reading order)."""
    found = [] if found is None else found
    kids = node.get("/K")
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            found.append(kid)
            structure(kid, found)
    return found


def test_it_is_a_tagged_pdf_a_3a_in_english(pdf):
    assert pdf.Root.Lang == "en"
    assert pdf.Root.MarkInfo.Marked is True
    elements = structure(pdf.Root.StructTreeRoot)
    kinds = [str(e.S) for e in elements]
    assert kinds[0] == "/Document" and "/H1" in kinds and kinds.count("/H2") >= 5 and "/Table" in kinds
    with pdf.open_metadata() as xmp:
        assert (xmp["pdfaid:part"], xmp["pdfaid:conformance"]) == ("3", "A")
    # marked content: the pages' drawing is tied to the structure tree
    assert "/StructParents" in pdf.pages[0] and "/ParentTree" in pdf.Root.StructTreeRoot


def test_the_metadata_describes_the_report(pdf, manifest):
    params = manifest["parameters"]
    with pdf.open_metadata() as xmp:
        assert xmp["dc:title"] == params["title"]
        assert xmp["dc:creator"] == ["aiinvest"]
        assert params["company_name"] in xmp["dc:description"] and "news article" in xmp["dc:description"]
        keywords = xmp["pdf:Keywords"]
        assert "AI investment" in keywords and params["company_name"] in keywords
        assert xmp["xmp:CreateDate"].startswith(params["as_of"])  # the as-of date: the same inputs, the same bytes


def test_every_chart_is_a_figure_with_a_text_alternative_from_its_data(pdf):
    figures = [e for e in structure(pdf.Root.StructTreeRoot) if e.S == "/Figure"]
    alts = [str(f.get("/Alt", "")) for f in figures]
    assert len(figures) == 4 and all(alts)
    assert any("$1.25B" in a and "$2.75B" in a for a in alts)  # the tranches, read from the chart's data
    assert any("$18.4B" in a for a in alts)


def test_the_outline_follows_the_headings(pdf):
    with pdf.open_outline() as outline:
        (title,) = outline.root
        sections = {item.title: [sub.title for sub in item.children] for item in title.children}
    first, *_, last = sections
    assert first == "Contents" and "Where the sources disagree" in sections
    assert last == "Appendix: the evidence behind every figure"  # one section, at the end
    assert sections["Appendix: the evidence behind every figure"] == [
        "Every claim",
        "Which source reports which fact",
        "The sources",
        "Method",
    ]


def test_internal_links_reach_real_destinations(pdf):
    names = {str(k) for k in pdf.Root.Names.Dests.Names[::2]} if "/Names" in pdf.Root else set()
    links = [a for page in pdf.pages for a in page.get("/Annots", []) if a.get("/Subtype") == "/Link"]
    internal = [a for a in links if "/Dest" in a or ("/A" in a and a.A.get("/S") == "/GoTo")]
    assert len(internal) >= 8  # the contents, and the source references in the captions
    for link in internal:
        dest = link.get("/Dest", link.get("/A", {}).get("/D"))
        assert isinstance(dest, pikepdf.Array) or str(dest) in names


def test_the_evidence_travels_inside_the_pdf(pdf):
    attached = {name: spec.get_file().read_bytes() for name, spec in pdf.attachments.items()}
    curated = SEED_DIR / "curated"
    expected = sorted(p.name for p in curated.iterdir() if p.suffix in {".csv", ".json"})
    assert sorted(n for n in attached if n != "manifest.json") == expected
    for name in expected:
        assert hashlib.sha256(attached[name]).hexdigest() == hashlib.sha256((curated / name).read_bytes()).hexdigest()


def test_the_attached_manifest_records_the_inputs_the_report_was_built_from(pdf, manifest):
    attached = json.loads(pdf.attachments["manifest.json"].get_file().read_bytes())
    assert attached["inputs"] == manifest["inputs"] and attached["fingerprint"] == manifest["fingerprint"]
    csv = "tests/fixtures/seed/curated/investments.csv"  # the built_report fixture's data folder
    digest = hashlib.sha256((SEED_DIR / "curated" / "investments.csv").read_bytes()).hexdigest()
    assert attached["inputs"][csv] == digest


def test_the_text_reads_in_order(built_report):
    text = subprocess.run(
        ["pdftotext", str(built_report.outputs["pdf"]), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = " ".join(text.split())
    order = [
        "The AI investment race",
        "Key figure",
        "Contents",
        "Investment by tranche",
        "Figure 1.",
        "Where the sources disagree",
        "Appendix: the evidence behind every figure",
        "Every claim",
        "The sources",
        "How to cite",
    ]
    at = 0
    for words in order:  # each in turn, after the one before
        at = flat.find(words, at)
        assert at >= 0, words
