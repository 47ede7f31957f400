/*
 * test_spk.h: the signed-prekey tests (test_spk.c), run by test_omemo.c's
 * main as a group of their own.
 */
#ifndef WARD_TEST_OMEMO_SPK_H
#define WARD_TEST_OMEMO_SPK_H

int run_spk_tests(void);

#endif
