"""What an executed report notebook says about itself, read without nbconvert (the build reads it so)."""

METADATA_KEY = "aiinvest"  # the outputs' metadata the report's cells record (document, evidence, figures, charts)


def output_record(nb, key: str):
    """The first non-empty record of that name among the report's outputs' metadata, as recorded; else None."""
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            found = output.get("metadata", {}).get(METADATA_KEY, {}).get(key)
            if found:
                return found
    return None


def output_metadata(nb, key: str) -> dict:
    """The first non-empty record of that name among the report's outputs' metadata (its header's), as a dict."""
    return dict(output_record(nb, key) or {})


def document_metadata(nb) -> dict:
    """What the report says about itself (title, subject, keywords, date), from its header's output."""
    return output_metadata(nb, "document")
