"""The pages of the left navigation list, in order: Home, Data, Model, Train, Evaluate, Compress, Export."""
