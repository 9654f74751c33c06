"""Text analysis shared by the conversation engine and the evaluation: words, sentences, skills, claims."""
