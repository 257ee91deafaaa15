// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

//
//  W A R N I N G
//  -------------
// This file is not part of the public API. It may change without notice.
//

#include <QtCore/QLoggingCategory>

// The logging categories of Musubi::Core (enable with QT_LOGGING_RULES, e.g.
// "musubi.*.debug=true"); each is defined in the file named beside it.
Q_DECLARE_LOGGING_CATEGORY(lcMusubiConnection) // musubi.connection: runtime/musubiconnection.cpp
Q_DECLARE_LOGGING_CATEGORY(lcMusubiRoot) // musubi.root: runtime/musubiroot.cpp
Q_DECLARE_LOGGING_CATEGORY(lcMusubiCommand) // musubi.command: runtime/musubiroot.cpp
Q_DECLARE_LOGGING_CATEGORY(lcMusubiPatch) // musubi.patch: dataplane/musubistoretree.cpp
Q_DECLARE_LOGGING_CATEGORY(lcMusubiStore) // musubi.store: dataplane/musubistore.cpp
Q_DECLARE_LOGGING_CATEGORY(lcMusubiStream) // musubi.stream: dataplane/musubistreammodel.cpp
Q_DECLARE_LOGGING_CATEGORY(lcMusubiUpload) // musubi.upload: uploads/musubiupload.cpp
Q_DECLARE_LOGGING_CATEGORY(lcMusubiCodegen) // musubi.codegen: typed/musubitypedstore.cpp
