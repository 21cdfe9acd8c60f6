"""Many articles at once: one module per job.

- :mod:`narrate.batch.sources`: which files (folders searched, globs expanded);
- :mod:`narrate.batch.changes`: what changed (fingerprints; the episodes to skip);
- :mod:`narrate.batch.slugs`: which slug each article gets;
- :mod:`narrate.batch.results`: what became of each article, and of the batch;
- :mod:`narrate.batch.signals`: Ctrl-C held while an episode is published;
- :mod:`narrate.batch.runners`: where articles are built (this thread, threads, processes;
  a Dask cluster is :class:`narrate.cluster.ClusterRunner`), behind one interface;
- :mod:`narrate.batch.run`: one article (:func:`~narrate.batch.run.narrate_article`) and
  the batch (:func:`~narrate.batch.run.run_batch`).
"""
