"""Collect, memory between runs: per address its ETag, Last-Modified and content hash, and per feed or
sitemap the pages it listed, in EVENT_DIR/.collect-state.json (written atomically).

With it a rerun asks conditionally and fetches nothing unchanged; a listing that answers 304 still offers its
pages from last time, so a page that failed then is tried again — unless it was fetched and rejected for what it
holds (no article text, not HTML): such a page is not asked for again while its listing entry and the collection
settings stay the same, for it would be rejected again.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import datetime
from pathlib import Path

from .feeds import Item, Listing
from .fetch import RawResponse, Validators
from .store import write_atomically

STATE_FILE = ".collect-state.json"
STATE_VERSION = 1


class CollectState:
    def __init__(self, path: Path, addresses: dict[str, dict] | None = None, listings: dict[str, dict] | None = None,
                 rechecked: dict[str, str] | None = None):
        self.path = path
        self.addresses = addresses or {}
        self.listings = listings or {}
        # address → when the page of a collected article was last rechecked, ISO 8601. Kept apart from
        # `addresses`, which remember() replaces whole.
        self.rechecked = rechecked or {}

    @classmethod
    def load(cls, event_dir: Path) -> tuple["CollectState", str | None]:
        """The saved state, and a problem when it could not be read (the run then asks unconditionally)."""
        path = event_dir / STATE_FILE
        if not path.is_file():
            return cls(path), None
        try:
            saved = json.loads(path.read_text(encoding="utf-8"))
            if saved.get("version") != STATE_VERSION:
                raise ValueError(f"version {saved.get('version')!r}, expected {STATE_VERSION}")
            return cls(path, dict(saved["addresses"]), dict(saved["listings"]), dict(saved.get("rechecked", {}))), None
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            return cls(path), f"{path} is unreadable ({error}); every address is fetched afresh"

    def validators(self, url: str) -> Validators | None:
        saved = self.addresses.get(url)
        # A page rejected for its content is asked for again only when the settings or its listing entry changed,
        # and must then be read again: a 304 would leave it judged by neither, asked for again on every run.
        if not saved or saved.get("rejected") or not (saved.get("etag") or saved.get("last_modified")):
            return None
        return Validators(etag=saved.get("etag"), last_modified=saved.get("last_modified"))

    def content_hash(self, url: str) -> str | None:
        return self.addresses.get(url, {}).get("content_hash")

    def remember(self, url: str, response: RawResponse, *, content_hash: str | None = None) -> None:
        validators = response.validators
        self.addresses[url] = {"etag": validators.etag, "last_modified": validators.last_modified,
                               "content_hash": content_hash, "fetched_at": response.fetched_at.isoformat()}

    def forget(self, url: str) -> None:
        """Nothing is known of `url` any more: it is asked for afresh and read again."""
        self.addresses.pop(url, None)
        self.rechecked.pop(url, None)

    def remember_recheck(self, url: str, at: datetime) -> None:
        self.rechecked[url] = at.isoformat()

    def last_rechecked(self, url: str) -> str | None:
        return self.rechecked.get(url)

    def remember_address_of(self, url: str, article_id: str) -> None:
        """The page at `url` is the article `article_id` under another address (its text is that article's)."""
        self.addresses.setdefault(url, {})["address_of"] = article_id

    def addresses_of_articles(self) -> dict[str, str]:
        """Each address remembered as another address of an article: address → article id."""
        return {url: saved["address_of"] for url, saved in self.addresses.items()
                if isinstance(saved, dict) and isinstance(saved.get("address_of"), str)}

    def remember_rejection(self, url: str, item: Item, reason: str, *, signature: str) -> None:
        """The page at `url`, listed as `item`, was fetched and rejected for its content, collected with the
        settings `signature` names."""
        self.addresses.setdefault(url, {})["rejected"] = {"reason": reason, "listed_as": _saved(item),
                                                          "signature": signature}

    def rejection(self, url: str, item: Item, *, signature: str) -> str | None:
        """Why the page was rejected last time, when it is listed as it was then and collected with the same
        settings; else None (it is fetched again)."""
        saved = self.addresses.get(url, {}).get("rejected")
        if saved and saved.get("listed_as") == _saved(item) and saved.get("signature") == signature:
            return saved.get("reason")
        return None

    def listed(self, url: str) -> Listing:
        """What the listing at `url` named when it last answered with a body."""
        saved = self.listings.get(url, {})
        return Listing([_item(saved_item) for saved_item in saved.get("items", [])],
                       sitemaps=[_item(saved_item) for saved_item in saved.get("sitemaps", [])])

    def remember_listing(self, url: str, listing: Listing) -> None:
        self.listings[url] = {"items": [_saved(item) for item in listing.items],
                              "sitemaps": [_saved(item) for item in listing.sitemaps]}

    def save(self, *, signature: str) -> None:
        data = {"version": STATE_VERSION, "collected_with": signature,
                "addresses": self.addresses, "listings": self.listings, "rechecked": self.rechecked}
        write_atomically(self.path, json.dumps(data, ensure_ascii=False, indent=1).encode())


_MOMENTS = ("published", "modified")


def _saved(item: Item) -> dict:
    return {key: value.isoformat() if key in _MOMENTS and value else value for key, value in asdict(item).items()}


def _item(saved: dict) -> Item:
    return Item(**{key: datetime.fromisoformat(value) if key in _MOMENTS and value else value
                   for key, value in saved.items()})
