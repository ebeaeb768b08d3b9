# embed_text.cmake: cmake -DIN=FILE -DOUT=FILE.c -DNAME=SYMBOL -P embed_text.cmake writes a C
# file that defines `const char SYMBOL[]`: FILE's bytes and a final NUL (src/view.html into the
# program, so that an installed edgetune needs no data file to write its viewer page).
file(READ "${IN}" hex HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
string(REGEX REPLACE "(([^,]+,){24})" "\\1\n" bytes "${bytes}")
file(WRITE "${OUT}.tmp" "/* Generated from ${IN} by scripts/embed_text.cmake; do not edit. */\n"
  "extern const char ${NAME}[];\nconst char ${NAME}[] = {\n${bytes}0};\n")
file(RENAME "${OUT}.tmp" "${OUT}")
