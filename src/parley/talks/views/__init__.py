"""The talks' pages. Each view parses its input, makes one service or selector call, and
renders; `NotFound` is 404 (also for "not yours"), `Forbidden` 403, and a `ValidationError`
shows the form again with the errors on the fields it names."""
