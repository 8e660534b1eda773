"""The dispatchers' and officers' side: card buttons, replies relayed to reporters, commands,
trusted reporters."""
