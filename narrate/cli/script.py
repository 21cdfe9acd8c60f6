"""``narrate script``: print the narration script (placeholder until the script stage lands)."""
