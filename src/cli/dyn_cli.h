#ifndef CSFLEAK_DYN_CLI_H
#define CSFLEAK_DYN_CLI_H
/* `csfleak phantom --dynamic ctm|dsm|ric ...`: the same code as
 * `csfleak dynamic --make-phantom ...` (src/cli/cmd_dynamic.c). argv[0] is
 * the command name; "--dynamic M" is read as "--make-phantom M". Returns the
 * exit code. */
int csf_cli_dynamic_phantom(int argc, char **argv);

#endif
