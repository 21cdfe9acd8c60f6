"""What is published beside the MP3, all from the one :class:`~narrate.model.Timeline`:
Podcasting 2.0 JSON chapters (:mod:`narrate.publish.chapters`) and WebVTT captions and
chapters (:mod:`narrate.publish.vtt`)."""
