"""Imported last in the engines' fork server (`app.jobs.pool.ENGINE_PRELOAD`): moves every object made so far (the
preloaded engine) out of the garbage collector's reach with `gc.freeze()`.

Why: an engine process is forked from the fork server and shares its memory pages until it writes to them. The
collector writes to every object it scans, so the first collection in a child copied each page holding the
preloaded modules' objects (~50 MB per engine process). Frozen objects are never scanned, and their pages stay
shared. (The Python docs' advice for fork without exec: freeze right before forking.)
"""

import gc

gc.freeze()
