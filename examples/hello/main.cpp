#include <iostream>
#include <map>
#include <string>

#include "greet.h"

int main() {
  const double values[] = {1.0, 2.0, 4.0, 8.0};
  std::map<std::string, double> summary{{"mean", mean(values, 4)}};
  std::cout << greeting() << "; mean = " << summary["mean"] << '\n';
  return 0;
}
