#ifndef GREET_H
#define GREET_H
#ifdef __cplusplus
extern "C" {
#endif
const char* greeting(void);
double mean(const double* values, int count);
#ifdef __cplusplus
}
#endif
#endif
