"""An unwritable validation cache slows validation down, and nothing else: every command validates in full."""

import datetime

import filelock
import pytest
from fixtures import SEED_DIR

from aiinvest import exitcodes
from aiinvest.cli import main
from aiinvest.curate.register import Registration, register_article
from aiinvest.data import validate
from aiinvest.data.validate import DataValidationError, check_package


@pytest.fixture
def unwritable_cache(tmp_path, monkeypatch):
    """A cache folder that cannot be made (its parent is a file: a permission check root would pass too)."""
    (tmp_path / "file").write_text("not a folder")
    monkeypatch.setenv("AIINVEST_CACHE_DIR", str(tmp_path / "file" / "cache"))
    validate._warn_once.cache_clear()


WARNING = "warning: cannot write the validation cache "


def test_valid_data_checks_without_the_cache_and_warns_once(unwritable_cache, capsys):
    check_package(SEED_DIR)
    check_package(SEED_DIR)
    err = capsys.readouterr().err
    assert err.count(WARNING) == 1 and "cache (Not a directory); validating without it (set AIINVEST_CACHE_DIR" in err


def test_invalid_data_is_still_refused(unwritable_cache, data_dir, edit_csv):
    edit_csv("valuations", lambda t: t.replace("18400000000", "0"))
    with pytest.raises(DataValidationError, match="valuation_usd"):
        check_package(data_dir)


def test_a_lock_that_cannot_be_taken_validates_all_the_same(tmp_path, monkeypatch, data_dir, edit_csv, capsys):
    monkeypatch.setenv("AIINVEST_CACHE_DIR", str(tmp_path / "cache"))
    validate._warn_once.cache_clear()

    def refused(self, *args, **kwargs):
        raise PermissionError(13, "Permission denied", self.lock_file)

    monkeypatch.setattr(filelock.FileLock, "acquire", refused)
    check_package(data_dir)
    assert "Permission denied); validating without it" in capsys.readouterr().err
    edit_csv("valuations", lambda t: t.replace("18400000000", "0"))
    with pytest.raises(DataValidationError):
        check_package(data_dir)


def test_validate_and_register_article_succeed(unwritable_cache, data_dir, tmp_path, capsys):
    assert main(["--data-dir", str(data_dir), "validate"]) == exitcodes.OK
    article = tmp_path / "new.txt"
    article.write_text("Amazon news.\n\nAmazon invested $4 billion in Anthropic.\n", encoding="utf-8")
    row = register_article(article, data_dir, Registration(datetime.date(2024, 3, 27), "day", title="Amazon news"))
    assert row["source_id"] == "art-002"
    assert main(["--data-dir", str(data_dir), "validate"]) == exitcodes.OK
    assert WARNING in capsys.readouterr().err


def test_a_dry_run_build_succeeds(unwritable_cache, tmp_path):
    from aiinvest.pipeline import BuildRequest, preview

    result = preview(BuildRequest(params={"data_dir": str(SEED_DIR)}, output_dir=tmp_path / "reports"))
    assert result.status == exitcodes.OK and "the first report of its kind here" in result.message
