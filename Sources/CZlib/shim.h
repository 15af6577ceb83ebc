// zlib (zlib1g-dev; its headers also come with libcurl4-openssl-dev), for fake-ecr's layer reader.
#include <zlib.h>
