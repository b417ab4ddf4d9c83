"""Exceptions named for the condition. The CLI turns each into one line saying what to do next."""


class ParallaxError(Exception):
    """Base class. `hint` says what the user can do about it."""

    hint = ""

    def __init__(self, message: str, *, hint: str = ""):
        super().__init__(message)
        if hint:
            self.hint = hint


class CorpusNotFound(ParallaxError):
    hint = "pass a folder holding event.toml and articles.jsonl (or manifest.csv)"


class EmptyCorpus(ParallaxError):
    hint = "add articles to articles.jsonl, or files listed in manifest.csv"


class CorpusFormatError(ParallaxError):
    """Bad input in a corpus file; the message names the file and, where there is one, the line."""

    hint = "fix that line and run again"

    def __init__(self, path, line: int | None, message: str, *, hint: str = ""):
        where = f"{path}:{line}" if line else f"{path}"
        super().__init__(f"{where}: {message}", hint=hint)
        self.path = path
        self.line = line


class DuplicateArticleId(CorpusFormatError):
    hint = "give every article its own id"


class UnknownLanguageCode(CorpusFormatError):
    hint = "use an ISO 639-1 code such as 'en', 'es' or 'zh', or leave language empty to detect it"


class OptionsError(ParallaxError):
    hint = "check the option names and types against comparators/defaults.toml"


class DataFolderUnusable(ParallaxError):
    """$PARALLAX_HOME (or the default data folder) that is a file, or a folder that cannot be created."""

    hint = "set PARALLAX_HOME to a folder you may write"


class OutputExists(ParallaxError):
    hint = "choose an empty or new folder for --out"


class OutputNotWritten(ParallaxError):
    """The system refused a write into the output folder: a full disk, a read-only or vanished folder."""

    hint = "make room on its disk, or choose another folder; any earlier output there is intact"


class OutputsCollide(ParallaxError):
    """Two corpora of one `parallax compare` whose outputs would land in the same folder."""

    hint = "compare them one at a time, each with its own --out"


class EngineUnavailable(ParallaxError):
    """No translation engine can handle a language."""


class TranslationFailed(ParallaxError):
    """An engine was available but failed on a batch."""


class ModelUnloadable(TranslationFailed):
    """An installed model that cannot be loaded (damaged, or made for another version): nothing was translated
    with it, so another engine may take the language instead."""


class TextNotUTF8(ParallaxError):
    """Text given to `parallax translate` (its argument or standard input) that is not UTF-8."""

    hint = "convert it to UTF-8 first, e.g. with iconv -f latin1 -t utf-8"


class ModelPackageError(ParallaxError):
    """An Argos model package is unsafe, malformed or corrupt."""

    hint = "use an .argosmodel file from the Argos package index"


class UnsafeModelPackage(ModelPackageError):
    """A package zip with paths that would land outside its own folder (absolute, '..', links)."""

    hint = "do not install this file; get the package again from the Argos package index"


class NoRoomForModel(ModelPackageError):
    """A package that would unpack to more than the free space of Parallax's data folder."""

    hint = "free some space (or point $PARALLAX_HOME at a larger disk) and install again"


class NotAnArgosPackage(ModelPackageError):
    """A file that is not a zip holding one folder with metadata.json, model/ and a tokenizer."""


class CorruptModel(ModelPackageError):
    """A package whose CTranslate2 model or sentencepiece file cannot be loaded."""

    hint = "download the package again; the file is damaged"


class ModelNotFound(ParallaxError):
    """No installed or indexed package for a language pair."""

    hint = "see `parallax models list` and `parallax models available`"


class PackageIndexUnavailable(ParallaxError):
    """The Argos package index (or a package URL) could not be fetched."""

    hint = "check the network, or set ARGOS_PACKAGE_INDEX to a reachable index; install from a file instead"


class RunNotFound(ParallaxError):
    """A path given to export is neither a run folder nor an event folder of runs."""

    hint = "pass a folder written by `parallax compare` (it holds run.json) or an event folder of scheduled runs"


class RunIncomplete(ParallaxError):
    """A run that is still running, failed, or lost part of its output."""

    hint = "export a complete run, or its event folder to take the event's latest complete run"


# Collecting coverage from the web (comparators/collect). Fetch and page errors are recorded per URL in the
# collection summary, never raised to the user; only a bad event.toml stops a collection.


class SourcesFormatError(CorpusFormatError):
    """A [[sources]] or [outlets] table in event.toml that cannot be used."""

    hint = "see `parallax collect` in docs/CLI.md for the [[sources]] format"


class NoSources(ParallaxError):
    hint = 'add [[sources]] tables to event.toml, e.g. type = "feed" and url = "https://…/rss.xml"'


class CollectionRunning(ParallaxError):
    hint = "wait for the other `parallax collect` (or scheduled run) of this event to finish, then run again"


class CollectionNotWritten(OutputNotWritten):
    """The system refused to write articles.jsonl or the collection's state: a full disk, a read-only folder."""

    hint = "make room on its disk and collect again; the articles already there are intact"


class FetchFailed(ParallaxError):
    """A request that brought back no usable response; the message says why."""


class PageGone(FetchFailed):
    """The site answered 404 Not Found or 410 Gone: the page is not there (any more)."""


class UnsupportedURL(FetchFailed):
    hint = "use an http:// or https:// address"


class MalformedURL(FetchFailed):
    hint = "the address cannot be parsed (a bad port, bracket or character); correct it where it is listed"


class BlockedByRobots(FetchFailed):
    hint = "the site's robots.txt forbids this address to crawlers; leave it out"


class RobotsUnreachable(FetchFailed):
    """robots.txt could not be read, which RFC 9309 makes a ban on the whole site until it can: not the site's
    choice, so a failure to retry rather than an address to leave out."""

    hint = "collect again later"


class ResponseTooLarge(FetchFailed):
    hint = "raise [collect] max_bytes if this response is wanted"


class RedirectLoop(FetchFailed):
    hint = "the site redirects in a circle; check the address in a browser"


class TooManyRedirects(FetchFailed):
    hint = "raise [collect] max_redirects if the chain is genuine"


class BehindAWall(FetchFailed):
    """The page redirected to one that sends the reader back to it afterwards: a cookie consent or login wall."""

    hint = "the site shows its pages only after a choice in a browser; collect the outlet through another source"


class UnreadableSource(ParallaxError):
    """A feed, sitemap or GDELT answer that could not be parsed (or only partly)."""


class PageRejected(ParallaxError):
    """A page fetched but holding no article: not HTML, no main text, or teasers of several articles."""


class NotAnHTMLPage(PageRejected):
    hint = "list feeds as type = \"feed\"; documents other than HTML pages are not collected"


class NoMainText(PageRejected):
    hint = "the page holds no article text (an index, a video or a paywall); leave it out"


class ListsArticles(PageRejected):
    """An index page (a section, a tag, a front page): its teasers of several stories are no one article."""
    hint = "list the articles' own pages (a feed or sitemap names them), not the index page"


# Scheduled monitoring (parallax serve).


class ScheduleFormatError(CorpusFormatError):
    """A [schedule] table in event.toml that cannot be used."""

    hint = 'write e.g. [schedule] interval = 3600 (seconds) or cron = "0 */6 * * *", and timezone = "UTC"'


class ReportsFolderTaken(ParallaxError):
    """reports/<event>/ already holds the runs of another event folder of the same name."""


class NoScheduledEvents(ParallaxError):
    hint = "pass the folder holding your event folders with --corpora, and give events a [schedule] table"


class HistoryNotWritten(OutputNotWritten):
    """The system refused to write an event's history table; the run it would have recorded is not published."""

    hint = "make room on its disk; the history as it was is intact"
