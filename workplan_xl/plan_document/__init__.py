"""Reading a plan document: bytes → blocks (paragraphs and tables in order) → Plan."""
