"""Training: the loop, callbacks, schedules, augmentation, defaults and evaluation (torch inside)."""
