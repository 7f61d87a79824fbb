"""What an executed report notebook says about itself, read without nbconvert (the build reads it so)."""


def output_metadata(nb, key: str) -> dict:
    """The first non-empty record of that name among the report's outputs' metadata (its header's)."""
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            found = output.get("metadata", {}).get("aiinvest", {}).get(key)
            if found:
                return dict(found)
    return {}


def document_metadata(nb) -> dict:
    """What the report says about itself (title, subject, keywords, date), from its header's output."""
    return output_metadata(nb, "document")
