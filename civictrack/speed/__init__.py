"""Speed: caches, forked helpers and fingerprints that make builds quick; the stages work without them."""
