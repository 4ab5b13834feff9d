"""Index: cross-references and the rows of each listing, computed once from the Dataset."""
