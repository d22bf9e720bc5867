"""Stores: the embedded Oxigraph database (:mod:`kg.store.oxigraph`) and a SPARQL 1.1 server
(:mod:`kg.store.remote`), behind one interface. Open either with :func:`kg.open_store`: a folder
or an ``http(s)://`` endpoint URL."""
