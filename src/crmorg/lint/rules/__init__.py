"""The rules, one module per rule: each declares its identity with its check, and its
docstring is its documentation. ``crmorg.lint.registry`` lists them."""
