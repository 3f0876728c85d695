"""The static files storage of production: WhiteNoise's compressed, content-hashed files."""

import os

import brotli
from whitenoise.compress import Compressor
from whitenoise.storage import CompressedManifestStaticFilesStorage

# Leaflet finds its marker images by reading their URL back from its stylesheet and cutting
# "marker-icon.png" off it; a hashed name there would break every default marker.
UNREWRITTEN_PREFIXES = ("vendor/leaflet/",)
# Brotli's top quality (11) takes tens of seconds for the 1.9 MB base map on a busy machine at
# every start; quality 9 is within a few per cent of its size in a fraction of the time.
BROTLI_QUALITY = 9


class _QuickerCompressor(Compressor):
    @staticmethod
    def compress_brotli(data):
        return brotli.compress(data, quality=BROTLI_QUALITY)


class HashedStaticStorage(CompressedManifestStaticFilesStorage):
    """Hashed names and pre-compressed copies; CSS `url()` and `@import` are rewritten to the
    hashed names, but source-map comments are left alone: the vendored libraries name maps
    they do not ship (leaflet.js.map), which would fail `collectstatic`.

    A hashed name stands for its content, so a file compressed by an earlier start is not
    compressed again: `parley serve` collects the static files each time it starts."""

    patterns = (
        (
            "*.css",
            tuple(
                pattern
                for pattern in CompressedManifestStaticFilesStorage.patterns[0][1]
                if "sourceMappingURL" not in str(pattern)
            ),
        ),
    )

    def url_converter(self, name, hashed_files, *args, **kwargs):
        if name.startswith(UNREWRITTEN_PREFIXES):
            return lambda match: match["matched"]
        return super().url_converter(name, hashed_files, *args, **kwargs)

    def create_compressor(self, **kwargs):
        return _QuickerCompressor(**kwargs)

    def compress_files(self, paths):
        yield from super().compress_files(
            [path for path in paths if not os.path.exists(self.path(path) + ".gz")]
        )
