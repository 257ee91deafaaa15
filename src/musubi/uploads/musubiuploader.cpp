// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include "musubiuploader.h"

MusubiUploader::MusubiUploader(QObject *parent)
    : QObject(parent)
{ }

MusubiUploader::~MusubiUploader() = default;
