"""Audio helpers without state: PCM conversions, resampling, and audio files in and out."""
