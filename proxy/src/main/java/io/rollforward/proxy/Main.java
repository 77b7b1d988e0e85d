package io.rollforward.proxy;

public final class Main {
    public static void main(String[] args) {
    }
}
