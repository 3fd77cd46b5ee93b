"""One module per command (group); ``qualcode.cli`` assembles them."""
