// tests/native/cxx.cc: faults under a C++ method, for the names
// vmtrace-native gives C++ frames (demangled, as Valgrind shows them).
#include <cstdio>
#include <vector>

namespace ns {
struct Big {
   std::vector<char> v;
   __attribute__((noinline)) void fill(std::size_t n)
   {
      v.resize(n);   // value-initialises: writes every page
   }
};
}

int main()
{
   ns::Big b;
   b.fill(8u << 20);
   std::printf("%d\n", b.v[4096]);
   return 0;
}
