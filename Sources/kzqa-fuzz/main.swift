// Placeholder: the fuzz driver is being written (see scripts/fuzz.sh once it exists).
print("kzqa-fuzz: nothing to do yet")
