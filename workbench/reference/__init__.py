"""Reference data teams may edit, loaded and checked from the files under data/: the question
bank, the gate checklists, the interview templates, and the hardware and grid tables."""
